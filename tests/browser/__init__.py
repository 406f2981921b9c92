"""End-to-end tests of the dashboard in a real browser (Playwright driving Debian's Chromium)."""
