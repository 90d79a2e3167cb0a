//! kiji-eval (placeholder)
