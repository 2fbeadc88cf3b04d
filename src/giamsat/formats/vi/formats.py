"""Vietnamese formats: Django's, with thousands grouped by three.

Django's vi formats set the separators (decimal comma, dot between thousands) but no
NUMBER_GROUPING, so numbers were never grouped: "8743" where a Vietnamese reader writes
"8.743", "4530/10000" for "4.530/10.000".
"""

from django.conf.locale.vi.formats import *  # noqa: F403

NUMBER_GROUPING = 3
