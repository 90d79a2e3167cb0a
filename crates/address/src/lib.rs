//! kiji-address (placeholder)
