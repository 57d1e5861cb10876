"""The one door to CardDAV (RFC 6352 over WebDAV, RFC 4918): `client` (find the person's
address book, list, read, write and delete vCards, with ETags) and `errors` (our own
exceptions). Like the other doors it imports no app code: the caller passes the endpoint
and the credentials in. vCard text goes in and out as text; reading it is the services' job."""
