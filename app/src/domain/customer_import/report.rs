//! What a preview or a commit answers: counts per kind and the bad rows.

use serde::{Deserialize, Serialize};

use super::RecordKind;

/// The page lists at most this many bad rows (and says how many more there are).
pub const MAX_SHOWN_BAD_ROWS: usize = 200;

/// A row that cannot be imported, by its line in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

impl BadRow {
    pub fn new(line: u64, reason: impl Into<String>) -> Self {
        Self { line, reason: reason.into() }
    }
}

/// Rows of one kind: new ones (to import), and ones an earlier import already brought in
/// (skipped: importing the same file again changes nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: RecordKind,
    pub new: usize,
    pub unchanged: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// True once the rows were written; a preview, or a file with bad rows, writes nothing.
    pub committed: bool,
    pub counts: Vec<KindCount>,
    /// The first [`MAX_SHOWN_BAD_ROWS`] bad rows, by line.
    pub bad_rows: Vec<BadRow>,
    pub bad_total: usize,
}

impl ImportReport {
    pub fn new(committed: bool, counts: Vec<KindCount>, mut bad_rows: Vec<BadRow>) -> Self {
        bad_rows.sort_by_key(|b| b.line);
        let bad_total = bad_rows.len();
        bad_rows.truncate(MAX_SHOWN_BAD_ROWS);
        Self { committed, counts, bad_rows, bad_total }
    }

    pub fn new_rows(&self) -> usize {
        self.counts.iter().map(|c| c.new).sum()
    }

    pub fn count(&self, kind: RecordKind) -> Option<&KindCount> {
        self.counts.iter().find(|c| c.kind == kind)
    }
}
