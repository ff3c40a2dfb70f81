//! Bodies streamed through the endpoint, counted, with bounded memory.
//!
//! Neither direction is buffered beyond one frame (hyper's flow control holds the rest
//! back), except the bounded prefixes the proxy reads on purpose: a query-protocol form body
//! (to find `Action`) and an error answer (to find its code). The answer to the client is
//! held back at its end until the call's records are durable: [`ClientBody`] yields the
//! last frame (or the end of the stream) only after the recording future has finished, so
//! a client that saw its whole answer knows its call is in the journal.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;

/// A future that records a call, given the response bytes sent. `Err` means the records are
/// not durable.
pub type Recording = Pin<Box<dyn Future<Output = Result<(), ()>> + Send>>;

/// Starts the recording of a call once the response size is known.
pub type Recorder = Box<dyn FnOnce(u64) -> Recording + Send>;

/// The body sent upstream: frames already read (a form body's prefix), then the rest of
/// the client's body; every data byte counted.
#[derive(Debug)]
pub struct UpstreamBody {
    prefix: VecDeque<Bytes>,
    rest: Option<Incoming>,
    counted: Arc<AtomicU64>,
    size: SizeHint,
}

impl UpstreamBody {
    /// `prefix` then `rest`; the byte count goes to `counted`. `size` is the client body's
    /// own size hint (the prefix is part of it).
    pub fn new(
        prefix: VecDeque<Bytes>,
        rest: Option<Incoming>,
        counted: Arc<AtomicU64>,
        size: SizeHint,
    ) -> UpstreamBody {
        UpstreamBody {
            prefix,
            rest,
            counted,
            size,
        }
    }
}

impl Body for UpstreamBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = &mut *self;
        if let Some(chunk) = this.prefix.pop_front() {
            this.counted
                .fetch_add(chunk.len() as u64, Ordering::Relaxed);
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        let Some(rest) = this.rest.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = Pin::new(rest).poll_frame(context);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.counted.fetch_add(data.len() as u64, Ordering::Relaxed);
                }
            }
            Poll::Ready(None) => this.rest = None,
            Poll::Ready(Some(Err(_))) | Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.prefix.is_empty() && self.rest.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.size
    }
}

/// The body of the answer to the client.
pub enum ClientBody {
    /// Whole, already recorded (a denial, an error answer, an empty answer).
    Full(Option<Bytes>),
    /// Streamed from the upstream and recorded at its end.
    Streaming(Box<RecordingBody>),
}

impl std::fmt::Debug for ClientBody {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientBody::Full(body) => formatter
                .debug_tuple("Full")
                .field(&body.as_ref().map_or(0, Bytes::len))
                .finish(),
            ClientBody::Streaming(_) => formatter.write_str("Streaming"),
        }
    }
}

impl ClientBody {
    /// A whole body.
    pub fn full(bytes: Bytes) -> ClientBody {
        ClientBody::Full((!bytes.is_empty()).then_some(bytes))
    }
}

/// Why the answer to the client was cut short.
#[derive(Debug, thiserror::Error)]
pub enum ClientBodyError {
    /// The upstream's body failed.
    #[error("the upstream's answer broke off: {0}")]
    Upstream(#[source] hyper::Error),
    /// The call's records could not be made durable, so the answer is not completed.
    #[error("the call could not be recorded")]
    NotRecorded,
}

impl Body for ClientBody {
    type Data = Bytes;
    type Error = ClientBodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ClientBodyError>>> {
        match self.get_mut() {
            ClientBody::Full(body) => Poll::Ready(body.take().map(|bytes| Ok(Frame::data(bytes)))),
            ClientBody::Streaming(body) => body.poll(context),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ClientBody::Full(body) => body.is_none(),
            ClientBody::Streaming(body) => body.finished,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ClientBody::Full(body) => {
                SizeHint::with_exact(body.as_ref().map_or(0, |b| b.len() as u64))
            }
            // Never exact, so that hyper polls the body to its end (where the recording
            // is awaited) rather than stopping at the last byte of a known length.
            ClientBody::Streaming(_) => SizeHint::default(),
        }
    }
}

/// An upstream answer streamed to the client, counted, whose end waits for the recording.
pub struct RecordingBody {
    prefix: VecDeque<Bytes>,
    inner: Option<Incoming>,
    /// Bytes still expected when the upstream announced its length.
    remaining: Option<u64>,
    sent: u64,
    recorder: Option<Recorder>,
    recording: Option<Recording>,
    /// The last frame, held until the recording is done.
    held: Option<Frame<Bytes>>,
    finished: bool,
}

impl std::fmt::Debug for RecordingBody {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RecordingBody")
            .field("sent", &self.sent)
            .field("remaining", &self.remaining)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl RecordingBody {
    /// Streams `prefix` (already read) then `inner`; `recorder` runs when the last byte is
    /// in hand.
    pub fn new(prefix: VecDeque<Bytes>, inner: Incoming, recorder: Recorder) -> RecordingBody {
        let prefix_length: u64 = prefix.iter().map(|chunk| chunk.len() as u64).sum();
        let remaining = inner.size_hint().exact();
        RecordingBody {
            prefix,
            inner: Some(inner),
            remaining,
            sent: prefix_length,
            recorder: Some(recorder),
            recording: None,
            held: None,
            finished: false,
        }
    }

    fn poll(
        &mut self,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, ClientBodyError>>> {
        loop {
            if self.finished {
                return Poll::Ready(None);
            }
            if let Some(recording) = self.recording.as_mut() {
                let outcome = std::task::ready!(recording.as_mut().poll(context));
                self.recording = None;
                if outcome.is_err() {
                    self.finished = true;
                    return Poll::Ready(Some(Err(ClientBodyError::NotRecorded)));
                }
                match self.held.take() {
                    Some(frame) => return Poll::Ready(Some(Ok(frame))),
                    None => {
                        self.finished = true;
                        return Poll::Ready(None);
                    }
                }
            }
            if let Some(chunk) = self.prefix.pop_front() {
                return Poll::Ready(Some(Ok(Frame::data(chunk))));
            }
            let Some(inner) = self.inner.as_mut() else {
                self.start_recording();
                continue;
            };
            match std::task::ready!(Pin::new(inner).poll_frame(context)) {
                Some(Ok(frame)) => {
                    let Some(data) = frame.data_ref() else {
                        // Trailers: pass them on.
                        return Poll::Ready(Some(Ok(frame)));
                    };
                    let length = data.len() as u64;
                    self.sent += length;
                    let last = match self.remaining.as_mut() {
                        Some(remaining) => {
                            *remaining = remaining.saturating_sub(length);
                            *remaining == 0
                        }
                        None => false,
                    };
                    if last {
                        self.inner = None;
                        self.held = Some(frame);
                        self.start_recording();
                        continue;
                    }
                    return Poll::Ready(Some(Ok(frame)));
                }
                Some(Err(error)) => {
                    // The call is recorded (with the bytes that went through) when the body
                    // is dropped.
                    self.finished = true;
                    return Poll::Ready(Some(Err(ClientBodyError::Upstream(error))));
                }
                None => {
                    self.inner = None;
                    self.start_recording();
                }
            }
        }
    }

    fn start_recording(&mut self) {
        match self.recorder.take() {
            Some(recorder) => self.recording = Some(recorder(self.sent)),
            None => self.finished = true,
        }
    }
}

impl Drop for RecordingBody {
    /// A client that went away, or an upstream that broke off, still made a call: record
    /// it (with the bytes sent so far) without anyone waiting.
    fn drop(&mut self) {
        let recording = match (self.recording.take(), self.recorder.take()) {
            (Some(recording), _) => recording,
            (None, Some(recorder)) => recorder(self.sent),
            (None, None) => return,
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = recording.await;
            });
        }
    }
}
