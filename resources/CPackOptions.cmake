# Read by cpack itself, per run: each package's description already starts with its own summary line, so the
# project-wide summary ("API gateway with a desktop admin console") must not be put in front of it.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
