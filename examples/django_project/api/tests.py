# api/tests.py
from django.test import TestCase, Client
from django.urls import reverse

class HealthCheckTests(TestCase):
    def setUp(self):
        self.client = Client()
    
    def test_health_endpoint_exists(self):
        """Test that health endpoint exists"""
        response = self.client.get('/health/')
        self.assertIn(response.status_code, [200, 503])
    
    def test_health_response_format(self):
        """Test health response has correct format"""
        response = self.client.get('/health/')
        data = response.json()
        
        self.assertIn('status', data)
        self.assertIn('checks', data)
        self.assertIsInstance(data['checks'], list)
    
    def test_liveness_probe(self):
        """Test liveness probe always returns 200"""
        response = self.client.get('/healthz/')
        self.assertEqual(response.status_code, 200)
    
    def test_health_check_view_name(self):
        """Test health check using URL name"""
        url = reverse('api:health')
        response = self.client.get(url)
        self.assertIn(response.status_code, [200, 503])
