"""Address completion for the recipient fields: groups (a group's suggestion carries every
member's address, so choosing it fills them all in), then contacts (one suggestion per
address), then the collected addresses not already offered. A match is a prefix of the
address, of any word of the name, or of the group's name; case does not matter."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from mailview.mime import Address
from mailview.services.addressbook import MAX_SUGGESTIONS, address_suggestions

from .book import IndexEntry, contacts_index

MAX_GROUP_MEMBERS = 200


@dataclass(frozen=True)
class Completion:
    kind: str  # "group" | "contact" | "collected"
    name: str
    email: str  # a group: empty
    label: str  # what goes into the field
    members: int = 0


def _words_match(text: str, query: str) -> bool:
    folded = text.casefold()
    return folded.startswith(query) or any(word.startswith(query) for word in folded.replace(".", " ").replace("-", " ").split())


def _address_matches(email: str, query: str) -> bool:
    folded = email.casefold()
    return folded.startswith(query) or any(part.startswith(query) for part in folded.split("@")[0].split("."))


def completions(*, user: User, query: str, limit: int = MAX_SUGGESTIONS) -> list[Completion]:
    text = (query or "").strip()
    if not text or len(text) > 200:
        return []
    folded = text.casefold()
    found: list[Completion] = []
    seen: set[str] = set()
    index: list[IndexEntry] = contacts_index(user=user) or []
    groups: dict[str, list[str]] = {}
    for entry in index:
        for group in entry.groups:
            groups.setdefault(group, []).append(str(Address(name=entry.name, email=entry.emails[0])))
    for group, members in sorted(groups.items(), key=lambda item: item[0].casefold()):
        if _words_match(group, folded):
            members = members[:MAX_GROUP_MEMBERS]
            found.append(Completion(kind="group", name=group, email="", label=", ".join(members), members=len(members)))
    for entry in index:
        name_matches = _words_match(entry.name, folded)
        for email in entry.emails:
            if (name_matches or _address_matches(email, folded)) and email.casefold() not in seen:
                seen.add(email.casefold())
                found.append(Completion(kind="contact", name=entry.name, email=email, label=str(Address(name=entry.name, email=email))))
    for suggestion in address_suggestions(user=user, query=text, limit=limit):
        if suggestion.email.casefold() not in seen:
            seen.add(suggestion.email.casefold())
            found.append(Completion(kind="collected", name=suggestion.name, email=suggestion.email, label=suggestion.label))
    return found[:limit]
