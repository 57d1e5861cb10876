"""Endpoints for filing mail and managing folders, under /actions/ (not /mail/, where
every path segment is a folder name)."""
from django.urls import path

from . import action_views

app_name = "mailview_actions"
urlpatterns = [
    path("", action_views.action_create, name="create"),
    path("<str:action_id>/", action_views.action_status, name="status"),
    path("<str:action_id>/undo/", action_views.action_undo, name="undo"),
]
folder_urlpatterns = [
    path("", action_views.folders_manage, name="folders_manage"),
    path("tree/", action_views.folder_tree_fragment, name="folder_tree"),
    path("state/", action_views.folder_state, name="folder_state"),
]
