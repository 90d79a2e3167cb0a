use std::fmt;

/// What went wrong, independent of where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The input line is not valid UTF-8.
    InvalidUtf8,
    /// The input line is not valid JSON.
    InvalidJson,
    /// The JSON is valid but not an input record (not an object, no string `article`, ...).
    InvalidRecord,
    /// Reading or writing a file or stream failed.
    Io,
    /// A dictionary or model could not be loaded.
    Resource,
    /// Wrong arguments or configuration.
    Config,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::InvalidRecord => "invalid_record",
            ErrorKind::Io => "io",
            ErrorKind::Resource => "resource",
            ErrorKind::Config => "config",
        }
    }
}

/// An error kind with a human-readable context message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub context: String,
}

impl Error {
    pub fn new(kind: ErrorKind, context: impl Into<String>) -> Self {
        Error { kind, context: context.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.context)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;
