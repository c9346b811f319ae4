from scopekit.cli import main

main()
