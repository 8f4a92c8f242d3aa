"""`make bench`: the portal's speed at national scale (issue 7). Not part of the portal: nothing in the
apps imports this package, and it is not in INSTALLED_APPS."""
