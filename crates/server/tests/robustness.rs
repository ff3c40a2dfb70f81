//! Bad input, slow and many clients, clock skew: clear errors, no crash, no hang.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use opentrail_types::{Clock, ManualClock, Timestamp};

use crate::support::{LOOKUP_HEADERS, READER, exchange, lookup, read_answer, signed_post, start};

#[test]
fn signatures_outside_fifteen_minutes_are_expired_or_not_yet_current() {
    let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_795_000_000)));
    let server = start(|_| {}, Some(clock.clone()));
    let signed_at = clock.now();
    let request = signed_post(
        server.address,
        "/",
        LOOKUP_HEADERS,
        b"{}",
        READER,
        signed_at,
    );
    assert_eq!(exchange(server.address, &request).status, 200);

    clock.advance_millis(16 * 60 * 1000);
    let late = exchange(server.address, &request);
    assert_eq!(late.status, 400);
    assert_eq!(late.json()["__type"], "InvalidSignatureException");
    assert!(
        late.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature expired")
    );

    let early_at = Timestamp::from_millis(clock.now().as_millis() + 16 * 60 * 1000);
    let early = signed_post(server.address, "/", LOOKUP_HEADERS, b"{}", READER, early_at);
    let answer = exchange(server.address, &early);
    assert_eq!(answer.json()["__type"], "InvalidSignatureException");
    assert!(
        answer.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature not yet current")
    );
    assert!(
        answer
            .head
            .to_ascii_lowercase()
            .contains("x-amzn-requestid: ")
    );
}

#[test]
fn bad_bodies_get_clear_errors_and_the_server_goes_on() {
    let server = start(|config| config.server.max_body_bytes = 64 * 1024, None);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"{\"MaxResults\": ".to_vec(), "SerializationException"),
        (b"[1,2,3]".to_vec(), "SerializationException"),
        (
            b"{\"MaxResults\": \"ten\"}".to_vec(),
            "SerializationException",
        ),
        (
            format!("{{\"LookupAttributes\": {}}}", &deep[..2000]).into_bytes(),
            "SerializationException",
        ),
        (
            b"{\"MaxResults\": 0}".to_vec(),
            "InvalidMaxResultsException",
        ),
    ];
    for (body, code) in cases {
        let answer = lookup(&server, &body);
        assert_eq!(
            answer.status,
            400,
            "{}",
            String::from_utf8_lossy(&body[..body.len().min(80)])
        );
        assert_eq!(answer.json()["__type"], code);
    }
    // A chunked body over the limit: refused while it is read.
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let head = "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.1\r\ntransfer-encoding: chunked\r\n\r\n";
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b' '; 32 * 1024];
    for _ in 0..3 {
        let _ = stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes());
        let _ = stream.write_all(&chunk);
        let _ = stream.write_all(b"\r\n");
    }
    let answer = read_answer(&mut stream);
    assert_eq!(answer.status, 413);
    assert_eq!(answer.json()["__type"], "RequestEntityTooLargeException");
    // Still serving.
    assert_eq!(lookup(&server, b"{}").status, 200);
}

#[test]
fn slow_clients_are_cut_off_and_do_not_block_others() {
    let server = start(|config| config.server.request_timeout_secs = 1, None);
    // Headers that never finish.
    let mut slow_headers = TcpStream::connect(server.address).unwrap();
    slow_headers
        .write_all(b"POST / HTTP/1.1\r\nhost: x\r\n")
        .unwrap();
    // A body that never comes.
    let request = signed_post(
        server.address,
        "/",
        LOOKUP_HEADERS,
        b"{}",
        READER,
        server.clock.now(),
    );
    let mut slow_body = TcpStream::connect(server.address).unwrap();
    let cut = request.len() - 2;
    slow_body.write_all(&request[..cut]).unwrap();

    assert_eq!(
        lookup(&server, b"{}").status,
        200,
        "others are served meanwhile"
    );

    let started = Instant::now();
    slow_headers
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut sink = Vec::new();
    let _ = slow_headers.read_to_end(&mut sink);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "slow headers not cut off"
    );

    slow_body
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let answer = read_answer(&mut slow_body);
    assert_eq!(answer.status, 408);
    assert_eq!(answer.json()["__type"], "RequestTimeoutException");
}

#[test]
fn many_concurrent_connections_are_all_served() {
    let server = start(|config| config.server.max_connections = 16, None);
    let address = server.address;
    let now = server.clock.now();
    let threads: Vec<_> = (0..64)
        .map(|_| {
            std::thread::spawn(move || {
                let request = signed_post(
                    address,
                    "/",
                    LOOKUP_HEADERS,
                    b"{\"MaxResults\":5}",
                    READER,
                    now,
                );
                exchange(address, &request).status
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap(), 200);
    }
}

#[test]
fn health_and_unknown_routes() {
    let server = start(|_| {}, None);
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .unwrap();
    let health = read_answer(&mut stream);
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    stream
        .write_all(b"GET /nope HTTP/1.1\r\nhost: x\r\n\r\n")
        .unwrap();
    let missing = read_answer(&mut stream);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["__type"], "UnknownOperationException");
    // `GET /` is a browser: it is sent to the console.
    stream
        .write_all(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n")
        .unwrap();
    let browser = read_answer(&mut stream);
    assert_eq!(browser.status, 303);
    assert!(
        browser.head.contains("location: /console/"),
        "{}",
        browser.head
    );
    stream
        .write_all(b"PUT / HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n")
        .unwrap();
    assert_eq!(read_answer(&mut stream).status, 405);
}
