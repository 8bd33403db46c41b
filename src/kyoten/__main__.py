from kyoten.cli import main

main()
