"""One transfer from start to end, as its Celery task runs it (safe to run again: an export is
written afresh, an import skips what was recorded done)."""
from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapProtocolError, MailboxNotFound, MessageNotFound
from mailview.models import Transfer
from mailview.services.contacts.book import ContactsUnavailable, unavailable_text
from mailview.services.contacts.importing import contacts_file_import

from .export import attachments_export, folder_export
from .importing import files_import
from .store import Kind, State, TransferCancelled, TransferRefused, transfer_finish

log = logging.getLogger(__name__)


def _connection(imap: ImapConnection | None) -> ImapConnection:
    if imap is None:
        raise ValueError("this transfer needs an IMAP connection")
    return imap


def transfer_execute(*, imap: ImapConnection | None, transfer: Transfer) -> str:
    """Do the work and record how it ended (done, failed with a sentence, cancelled). `imap`
    is None for a contacts import (see store.transfer_uses_imap)."""
    try:
        path, name = "", ""
        if transfer.kind == Kind.CONTACTS:
            contacts_file_import(transfer=transfer)
        elif transfer.kind == Kind.ATTACHMENTS:
            found, name = attachments_export(imap=_connection(imap), transfer=transfer)
            path = str(found)
        elif transfer.kind in (Kind.MBOX, Kind.EML_ZIP):
            found, name = folder_export(imap=_connection(imap), transfer=transfer)
            path = str(found)
        else:
            files_import(imap=_connection(imap), transfer=transfer)
    except TransferCancelled:
        transfer_finish(transfer, state=State.CANCELLED)
        return State.CANCELLED
    except TransferRefused as exc:
        transfer_finish(transfer, state=State.FAILED, error=str(exc))
        return State.FAILED
    except ContactsUnavailable as exc:
        transfer_finish(transfer, state=State.FAILED, error=unavailable_text(exc.code))
        return State.FAILED
    except MailboxNotFound:
        transfer_finish(transfer, state=State.FAILED, error=_("The folder no longer exists."))
        return State.FAILED
    except MessageNotFound:
        transfer_finish(transfer, state=State.FAILED, error=_("The message is no longer there."))
        return State.FAILED
    except ImapProtocolError as exc:
        log.info("transfer %s refused by the server: %s", transfer.pk, exc)
        transfer_finish(transfer, state=State.FAILED, error=_("The mail server refused it: %(reason)s") % {"reason": str(exc)[:300]})
        return State.FAILED
    except OSError:
        log.exception("transfer %s could not write its file", transfer.pk)
        transfer_finish(transfer, state=State.FAILED, error=_("The file could not be written. Try again later."))
        return State.FAILED
    transfer_finish(transfer, state=State.DONE, path=path, filename=name)
    return State.DONE
