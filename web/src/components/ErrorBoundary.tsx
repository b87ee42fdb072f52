/** Keeps one broken screen from blanking the whole app. */
import { Alert, Button } from '@mantine/core';
import { Component, type ReactNode } from 'react';

interface Props {
  message: string;
  reload: string;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Alert color="red" role="alert" title={this.props.message}>
        <Button mt="sm" variant="light" onClick={() => window.location.reload()}>
          {this.props.reload}
        </Button>
      </Alert>
    );
  }
}
