//! kiji-ner (placeholder)
