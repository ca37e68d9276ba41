//! Dockerfile parser: to be written (issue 3).
