//! kiji-tagger (being written)
