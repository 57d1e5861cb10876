"""Filters and the vacation reply, stored as one Sieve script on the person's ManageSieve
server: `script` turns rules into Sieve and back (pure), `store` reads and writes them
through the ManageSieve door (`mailview.sieve`)."""
