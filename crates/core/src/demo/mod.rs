//! Demo dataset (filled in below).
