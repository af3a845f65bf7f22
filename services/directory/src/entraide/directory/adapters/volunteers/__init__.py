"""The volunteers' store and their data keys kept locally."""
