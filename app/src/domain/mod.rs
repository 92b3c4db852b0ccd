//! The nouns and rules of SPEC.md, free of I/O: compiles for the server and for the browser.
