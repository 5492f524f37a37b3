pytest_plugins = ["tests.support"]
