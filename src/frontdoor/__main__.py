from frontdoor.cli import main

main()
