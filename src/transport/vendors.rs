//! Chat-vendor plans (being written).
