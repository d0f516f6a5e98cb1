//! Webhook delivery over fetch and sendBeacon (being written).
