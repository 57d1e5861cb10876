"""The live mailbox: what keeps every open tab current as the mailbox changes anywhere.

- `events.py`: each person's event channel (a capped Redis stream + pub/sub) and presence
  (who has a tab open). The contract between the three parts below.
- `sync.py`: Celery-run sync: fetches a folder's delta, keeps folder state in Redis,
  publishes typed events.
- `watching.py`: the watcher's orchestration (leases, presence, backoff) around the
  multiplexed IMAP waiting in `mailview/imap/watch.py`.
The event stream to browsers is `mailview/views/events.py`, served by the ASGI process.
"""
