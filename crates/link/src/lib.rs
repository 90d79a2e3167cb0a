//! kiji-link (placeholder)
