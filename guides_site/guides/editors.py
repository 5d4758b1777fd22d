from django.contrib.auth.models import Group, Permission

EDITORS_GROUP = "Editors"

# (model, actions). Editors write content and moderate readers' input; readers' votes and
# step answers are evidence, so editors may look at them but not rewrite them.
EDITOR_PERMISSIONS = [
    ("company", ["view", "add", "change", "delete"]),
    ("contactchannel", ["view", "add", "change", "delete"]),
    ("companytranslation", ["view", "add", "change", "delete"]),
    ("reachreport", ["view", "delete"]),
    ("guide", ["view", "add", "change", "delete"]),
    ("step", ["view", "add", "change", "delete"]),
    ("section", ["view", "add", "change", "delete"]),
    ("tag", ["view", "add", "change", "delete"]),
    ("question", ["view", "change", "delete"]),
    ("vote", ["view", "delete"]),
    ("stepfeedback", ["view", "delete"]),
    ("votereset", ["view"]),
    ("missedsearch", ["view"]),
    ("dismissedsearch", ["view", "add", "delete"]),
]


def setup_editors_group():
    """Create the group or bring its permissions back to exactly these (idempotent)."""
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS for action in actions]
    permissions = Permission.objects.filter(
        content_type__app_label__in=["guides", "contacts", "questions", "search"],
        codename__in=codenames,
    )
    group.permissions.set(permissions)
    return group, group.permissions.count()
