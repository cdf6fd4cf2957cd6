# Debian packages with CPack (`cpack -G DEB` in the build directory, see the README): tollgate-daemon and
# tollgate-console. dpkg-shlibdeps finds the libraries each program links; what they load at run time is named by
# hand: the Qt SQL drivers (SQLite, PostgreSQL) for both (the console embeds the gateway); the SVG icon engine and
# Qt's own German for the console.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tollgate)
set(CPACK_PACKAGE_VENDOR "Tollgate")
set(CPACK_PACKAGE_CONTACT "Tollgate developers <dev@tollgate.invalid>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL daemon)
if(TOLLGATE_GUI)
    list(APPEND CPACK_COMPONENTS_ALL console)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://tollgate.invalid")

set(CPACK_DEBIAN_DAEMON_PACKAGE_NAME tollgate-daemon)
set(CPACK_DEBIAN_DAEMON_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6sql6-psql")
set(CPACK_DEBIAN_DAEMON_PACKAGE_SUGGESTS "postgresql, redis-server")
set(CPACK_COMPONENT_DAEMON_DESCRIPTION "Tollgate API gateway daemon
Issues API keys with pricing tiers, enforces rate limits, meters usage in credits, proxies to search,
extraction, speech-to-text and text-to-speech upstreams, and reports health and Prometheus metrics.
Runs as the hardened systemd unit tollgated.service.")
set(CPACK_DEBIAN_DAEMON_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/debian/conffiles ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
    ${CMAKE_CURRENT_LIST_DIR}/debian/prerm ${CMAKE_CURRENT_LIST_DIR}/debian/postrm)
set(CPACK_DEBIAN_DAEMON_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME tollgate-console)
set(CPACK_DEBIAN_CONSOLE_PACKAGE_DEPENDS "libqt6svg6, qt6-translations-l10n, libqt6sql6-sqlite, libqt6sql6-psql")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_SECTION admin)
set(CPACK_COMPONENT_CONSOLE_DESCRIPTION "Tollgate admin console
Desktop console for the Tollgate API gateway: keys, tiers, usage charts and service health, with the gateway
embedded in the same process or attached to a remote daemon. English and German.")

set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/CPackOptions.cmake)
include(CPack)
