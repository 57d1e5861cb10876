"""The one door to ManageSieve (RFC 5804): `client` (connect, STARTTLS, AUTHENTICATE PLAIN,
list/get/put/check/activate/delete scripts) and `errors` (our own exceptions). Like
`mailview.imap` and `mailview.smtp` it imports no app code: the caller passes the endpoint
and the credentials in."""
