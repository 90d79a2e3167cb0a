//! kiji-attr (placeholder)
