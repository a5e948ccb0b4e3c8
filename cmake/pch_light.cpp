// Anchor for the light precompiled header.
