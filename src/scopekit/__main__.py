from scopekit.console import main

main()
