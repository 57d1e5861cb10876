"""The one door to SMTP: `client` (connect, STARTTLS, AUTH, the size limit, submit) and
`errors` (our own exceptions). Like `mailview.imap`, it imports no app code: the
caller passes the endpoint and the credentials in."""
