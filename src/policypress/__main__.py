from policypress.cli import main

main()
