import { render } from 'preact';
import { ReaderApp } from '../../components/ReaderApp';
import '../../components/theme.css';

render(<ReaderApp id={new URLSearchParams(location.search).get('id')} />, document.getElementById('app')!);
