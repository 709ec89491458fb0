# The two commands the README promises: `make run` and `make test`.
.PHONY: install run test

install:
	bash scripts/install.sh

run: install
	.venv/bin/hill-dash serve

test:
	bash scripts/system-deps.sh
	bash scripts/install.sh test
	bash scripts/test.sh
