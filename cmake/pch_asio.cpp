// Anchor for the Asio precompiled header.
