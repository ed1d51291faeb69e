from policypress.commands.cli import main

main()
