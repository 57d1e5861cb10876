"""The address book: contacts on the person's CardDAV server (`book.py`, through
`mailview.carddav`), vCards read and written (`cards.py`, pure), and address completion from
contacts, their groups and the collected addresses (`completion.py`). Without a CardDAV
server the collected addresses (`services/addressbook.py`) are the address book."""
