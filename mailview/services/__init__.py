"""Services (write) and selectors (read) over a checked-out IMAP connection."""
