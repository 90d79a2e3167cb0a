//! kiji-morph (placeholder)
