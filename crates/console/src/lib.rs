//! The web console's pages, charts and assets.
//!
//! Everything here turns view models (plain data the server fills in) into HTML or SVG
//! text; nothing reads files, talks HTTP or keeps state. The server
//! (`opentrail-server`, `src/console/`) owns sessions, CSRF checks, routes and data, and
//! formats every value (times, numbers) before it gets here.

pub mod assets;
pub mod chart;
pub mod html;
pub mod layout;
pub mod pages;
