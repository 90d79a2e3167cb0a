//! kiji-pipeline (placeholder)
