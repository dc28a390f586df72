# api/management/commands/healthcheck.py
from django.core.management.base import BaseCommand
from api.health import health

class Command(BaseCommand):
    help = 'Run health checks'
    
    def handle(self, *args, **options):
        self.stdout.write("Running health checks...")
        
        results = health.run()
        
        for result in results:
            status_color = (
                self.style.SUCCESS if result.status.value == "healthy"
                else self.style.ERROR if result.status.value == "unhealthy"
                else self.style.WARNING
            )
            
            message = f" - {result.message}" if result.message else ""
            self.stdout.write(
                f"{result.name}: {status_color(result.status.value)} "
                f"({result.duration_ms:.2f}ms){message}"
            )
        
        # Exit with error code if unhealthy
        if any(r.status.value == "unhealthy" for r in results):
            raise SystemExit(1)
