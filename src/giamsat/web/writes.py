"""Every view that changes data declares its action here, so that one test can try every
write of the web application as every role (tests/web/test_permissions.py).

`write_action(action)` refuses a user who may do `action` for no organisation at all,
before the view runs; the view then asks the workflow, which checks the organisation and
the state. Read-only views are marked `require_safe`: they answer POST with 405.
"""

import functools

from giamsat.accounts.policy import Action, require

WRITE_VIEWS: dict[str, Action] = {}


def write_action(action: Action):
    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, action)
            return view(request, *args, **kwargs)

        wrapped.write_action = action
        WRITE_VIEWS[f"{view.__module__}.{view.__qualname__}"] = action
        return wrapped

    return decorate
