/* The app shell's clientside pieces. */
(function () {
    "use strict";
    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.hill = Object.assign(window.dash_clientside.hill || {}, {
        /* Hide the navigation bar on a participant's pages (/p/<token>). */
        navbarStyle: function (pathname) {
            return pathname && pathname.indexOf("/p/") === 0 ? {display: "none"} : {};
        }
    });
}());
