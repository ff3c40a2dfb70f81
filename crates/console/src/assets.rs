//! The console's static files, compiled into the binary: nothing is fetched from
//! anywhere at run time.

/// The stylesheet.
pub const CSS: &str = include_str!("../assets/console.css");
/// The one script.
pub const JS: &str = include_str!("../assets/console.js");

/// A static file the server serves under `/console/assets/`.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its bytes.
    pub body: &'static str,
}

/// The asset called `name`, if there is one.
pub fn asset(name: &str) -> Option<Asset> {
    match name {
        "console.css" => Some(Asset {
            content_type: "text/css; charset=utf-8",
            body: CSS,
        }),
        "console.js" => Some(Asset {
            content_type: "text/javascript; charset=utf-8",
            body: JS,
        }),
        _ => None,
    }
}

/// A short hash of every asset, put in their URLs (`?v=`) so browsers may cache them for
/// good and still see a new build's files at once.
pub const VERSION: &str = version();

const fn version() -> &'static str {
    // FNV-1a over both files, as 8 hex digits; computed at compile time.
    const HASH: u32 = {
        let mut hash: u32 = 0x811c_9dc5;
        let files = [CSS.as_bytes(), JS.as_bytes()];
        let mut file = 0;
        while file < files.len() {
            let bytes = files[file];
            let mut at = 0;
            while at < bytes.len() {
                hash ^= bytes[at] as u32;
                hash = hash.wrapping_mul(0x0100_0193);
                at += 1;
            }
            file += 1;
        }
        hash
    };
    const HEX: &[u8; 16] = b"0123456789abcdef";
    const DIGITS: [u8; 8] = {
        let mut digits = [0u8; 8];
        let mut at = 0;
        while at < 8 {
            digits[at] = HEX[((HASH >> (28 - 4 * at)) & 0xf) as usize];
            at += 1;
        }
        digits
    };
    match std::str::from_utf8(&DIGITS) {
        Ok(text) => text,
        Err(_) => "0",
    }
}
