from .cli import main

if __name__ == "__main__":  # spawned pool workers import this module too: they must not run the CLI
    main(prog_name="wxr-migrate")
