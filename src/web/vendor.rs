//! Runs chat-vendor plans against the vendor globals (being written).
