from supervision.app import create_app

app = create_app()
