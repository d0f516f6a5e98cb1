//! The webhook outbox (being written).
