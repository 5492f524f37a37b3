# What every test shares lives in tests/support: its fixtures and the scenarios' path coverage are pytest plugins;
# pytester runs a suite of its own (the path coverage failing a run).
pytest_plugins = ["tests.support.fixtures", "tests.support.path_coverage", "pytester"]
